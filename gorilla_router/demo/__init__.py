"""The demo: a local food-ordering service and the one-command tour that orders from it through the router."""

from __future__ import annotations

from gorilla_router.demo.food_service import RESTAURANTS, FoodService, OrderRejected, check_order

__all__ = ["RESTAURANTS", "FoodService", "OrderRejected", "check_order"]
