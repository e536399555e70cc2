"""Amounts of money a request states, and the two standard conversions a payment API asks for.

* **Currency codes**: "€49.90" and "20 euros" name the euro, so ``currency="eur"`` is a conversion of
  what the request says, not an invention (:func:`currency_code_stated`).
* **Codes for names a model left as words**: a parameter that takes currency codes gets ``"gbp"`` where
  the model wrote ``"pound"`` (``vs_currencies="eur,pound"`` for "in euros and pounds"), in the case
  the parameter's description shows (:func:`currency_names_as_codes`).
* **Minor units**: an API whose amount is "in the smallest currency unit" (cents: Stripe, Adyen) takes
  4990 for €49.90. A model writes either form; :func:`in_minor_units` gives the minor-unit value of a
  stated amount, so 4990 is grounded and a 49.9 (or a 5 for "$5", which would refund five cents) is
  corrected to what the user meant. Currencies without a minor unit (yen, won) are left as they are.

Only amounts written next to a currency sign, code or name count: "5 items" is not money.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Money",
    "currency_code_stated",
    "currency_names_as_codes",
    "in_minor_units",
    "is_minor_unit_amount",
    "money_in",
]

SIGNS = {
    "$": "usd",
    "€": "eur",
    "£": "gbp",
    "¥": "jpy",
    "₹": "inr",
    "₩": "krw",
    "₽": "rub",
    "₺": "try",
    "₪": "ils",
    "₫": "vnd",
    "₴": "uah",
    "₱": "php",
    "฿": "thb",
}
NAMES = {
    "dollar": "usd",
    "dollars": "usd",
    "bucks": "usd",
    "euro": "eur",
    "euros": "eur",
    "pound": "gbp",
    "pounds": "gbp",
    "sterling": "gbp",
    "yen": "jpy",
    "yuan": "cny",
    "renminbi": "cny",
    "rupee": "inr",
    "rupees": "inr",
    "won": "krw",
    "ruble": "rub",
    "rubles": "rub",
    "rouble": "rub",
    "roubles": "rub",
    "franc": "chf",
    "francs": "chf",
    "cent": "cents",
    "cents": "cents",
}
ZERO_DECIMAL = frozenset({"jpy", "krw", "vnd", "clp", "isk", "ugx", "xof", "xaf", "pyg"})
"""Currencies whose smallest unit is the unit itself (Stripe's zero-decimal list, its common part)."""

_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+,\d{1,2}(?!\d)|\d+(?:\.\d+)?"
_SIGN = "|".join(re.escape(sign) for sign in SIGNS)
_CODE = r"[A-Za-z]{3}"
_PATTERNS = (
    re.compile(rf"(?P<sign>{_SIGN})\s?(?P<amount>{_AMOUNT})"),
    re.compile(rf"(?P<amount>{_AMOUNT})\s?(?P<sign>{_SIGN})"),
    re.compile(rf"(?P<amount>{_AMOUNT})\s?(?P<word>[A-Za-z]+)\b"),
    re.compile(rf"\b(?P<code>{_CODE})\s?(?P<amount>{_AMOUNT})"),
)
_MINOR_UNIT = re.compile(r"smallest (?:currency )?unit|minor unit|in cents\b|\bcents\b", re.IGNORECASE)


@dataclass(frozen=True)
class Money:
    """An amount as written (``49.9``) and its currency code (``"eur"``; ``"cents"`` for "50 cents")."""

    amount: float
    currency: str


def money_in(query: str) -> tuple[Money, ...]:
    """Every amount of money in ``query``: "$5", "€49.90", "49.90 €", "50 pounds", "USD 12"."""
    found: list[Money] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(query):
            currency = _currency_of(match)
            if currency:
                found.append(Money(_number(match.group("amount")), currency))
    return tuple(dict.fromkeys(found))


def _number(text: str) -> float:
    """ "1,250" → 1250; "49,90" (a decimal comma: one or two digits after it) → 49.9."""
    whole, comma, decimals = text.rpartition(",")
    if comma and len(decimals) <= 2:
        return float(f"{whole.replace(',', '')}.{decimals}")
    return float(text.replace(",", ""))


def _currency_of(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups.get("sign"):
        return SIGNS[groups["sign"]]
    if groups.get("word"):
        return NAMES.get(groups["word"].lower())
    code = groups.get("code") or ""
    return code.lower() if code.isupper() else None  # "USD 12", not "was 12"


def currency_code_stated(value: str, query: str) -> bool:
    """``value`` is the ISO code of a currency the request names by sign or name ("€", "euros" → "eur")."""
    code = value.strip().lower()
    if len(code) != 3:
        return False
    lowered = query.lower()
    if any(sign in query and SIGNS[sign] == code for sign in SIGNS):
        return True
    return any(NAMES[word] == code for word in re.findall(r"[a-z]+", lowered) if word in NAMES)


_CODE_EXAMPLE = re.compile(r"'([A-Za-z]{3})(?:,[A-Za-z]{3})*'")
_TAKES_CODES = re.compile(r"\bcurrenc(?:y|ies)\b", re.IGNORECASE)


def currency_names_as_codes(value: str, schema: dict[str, Any]) -> str | None:
    """``value`` with each comma-separated currency *name* replaced by its code, for a parameter that takes
    codes (its description speaks of currencies and shows or names codes, and does not also take names);
    ``None`` when nothing is to replace."""
    description = str(schema.get("description", ""))
    example = _CODE_EXAMPLE.search(description)
    takes_codes = example or re.search(r"\bcode|\bISO\b", description)
    if schema.get("type") != "string" or not _TAKES_CODES.search(description) or not takes_codes:
        return None
    if re.search(r"\bor name", description, re.IGNORECASE):
        return None
    lower = "lowercase" in description.lower() or bool(example and example.group(1).islower())
    parts = [part.strip() for part in value.split(",")]
    codes = [NAMES.get(part.lower()) for part in parts]
    if not any(code and code != "cents" for code in codes):
        return None
    written = [
        (code if lower else code.upper()) if code and code != "cents" else part
        for part, code in zip(parts, codes, strict=True)
    ]
    return ",".join(written)


def is_minor_unit_amount(schema: dict[str, Any]) -> bool:
    """The parameter takes an amount in the currency's smallest unit (its description says so)."""
    return bool(_MINOR_UNIT.search(str(schema.get("description", ""))))


def in_minor_units(value: float, stated: tuple[Money, ...]) -> int | None:
    """The minor-unit amount ``value`` stands for, when it is a stated amount in either unit; else None.

    ``value`` equal to a stated amount in major units (49.9 for "€49.90") → 4990; already in minor units
    (4990) → 4990; "50 cents" → 50; a zero-decimal currency (¥500) → 500.
    """
    for money in stated:
        if money.currency == "cents" or money.currency in ZERO_DECIMAL:
            if abs(value - money.amount) < 1e-9:
                return round(money.amount)
            continue
        minor = round(money.amount * 100)
        if abs(value - money.amount) < 1e-9 or abs(value - minor) < 1e-9:
            return minor
    return None
