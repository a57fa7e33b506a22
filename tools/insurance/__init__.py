"""Insurance quotes: per-tenant product catalogues, rating, underwriting, neutral comparison."""

from tools.insurance.catalogue import (
    InsuranceCatalogue,
    InsuranceProduct,
    load_insurance_catalogue,
)
from tools.insurance.conditions import ConditionVocabulary, load_condition_vocabulary
from tools.insurance.quotes import (
    PRODUCT_TYPE_ORDER,
    compute_quotes,
    insurance_quotes_tool,
    quote_insurance,
)
from tools.insurance.schemas import (
    WEARABLE_PRICING_PURPOSE,
    HealthDeclarationAnswer,
    InsuranceQuote,
    QuoteRequest,
    QuoteResult,
    WearableSummary,
)

__all__ = [
    "PRODUCT_TYPE_ORDER",
    "WEARABLE_PRICING_PURPOSE",
    "ConditionVocabulary",
    "HealthDeclarationAnswer",
    "InsuranceCatalogue",
    "InsuranceProduct",
    "InsuranceQuote",
    "QuoteRequest",
    "QuoteResult",
    "WearableSummary",
    "compute_quotes",
    "insurance_quotes_tool",
    "load_condition_vocabulary",
    "load_insurance_catalogue",
    "quote_insurance",
]
