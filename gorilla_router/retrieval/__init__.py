"""Retrieval: the API Zoo embedded into Chroma, BM25 over the same documents, and the hybrid retriever.

Heavy dependencies (sentence-transformers, chromadb, bm25s) are imported only when a component is built,
so importing this package stays cheap.
"""

from __future__ import annotations

from gorilla_router.retrieval.base import Embedder, Retriever, SearchFilters
from gorilla_router.retrieval.chroma_store import ChromaIndex, SyncReport, spec_hash, where_from_filters
from gorilla_router.retrieval.documents import document_metadata, document_text
from gorilla_router.retrieval.embeddings import HashEmbedder, SentenceTransformerEmbedder, default_model_path
from gorilla_router.retrieval.hybrid import HybridRetriever
from gorilla_router.retrieval.lexical import BM25Index, tokenize
from gorilla_router.retrieval.opening import (
    IndexLocation,
    IndexStatus,
    build_retriever,
    index_status,
    sync_if_stale,
    sync_index,
)

__all__ = [
    "BM25Index",
    "ChromaIndex",
    "Embedder",
    "HashEmbedder",
    "HybridRetriever",
    "IndexLocation",
    "IndexStatus",
    "Retriever",
    "SearchFilters",
    "SentenceTransformerEmbedder",
    "SyncReport",
    "build_retriever",
    "default_model_path",
    "document_metadata",
    "document_text",
    "index_status",
    "spec_hash",
    "sync_if_stale",
    "sync_index",
    "tokenize",
    "where_from_filters",
]
