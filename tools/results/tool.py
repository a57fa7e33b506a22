"""The ``explain_results`` tool: exam-report values and height/weight, each explained."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from tools.readings.models import Bilingual
from tools.registry import ToolContext, ToolSpec
from tools.results.explain import Explanation, explain_bmi, explain_value

AnalyteName = Literal[
    "ldl_c",
    "total_cholesterol",
    "triglycerides",
    "hdl_c",
    "hba1c",
    "uric_acid",
    "egfr",
    "alt",
    "creatinine",
    "tsh",
]


class ExamValue(BaseModel):
    name: AnalyteName
    value: float = Field(gt=0, lt=100_000)


class ExplainResultsArgs(BaseModel):
    values: list[ExamValue] = Field(default_factory=list, max_length=20)
    height_cm: float | None = Field(default=None, ge=40, le=250)
    weight_kg: float | None = Field(default=None, ge=2, le=400)

    @model_validator(mode="after")
    def _something_to_explain(self) -> ExplainResultsArgs:
        pair = (self.height_cm is None) == (self.weight_kg is None)
        if not pair:
            raise ValueError("height_cm and weight_kg come together (for BMI)")
        if not self.values and self.height_cm is None:
            raise ValueError("give exam values, or a height and weight")
        return self


_LABELS = {
    "ldl_c": "LDL-C",
    "total_cholesterol": "TC",
    "triglycerides": "TG",
    "hdl_c": "HDL-C",
    "hba1c": "HbA1c",
    "uric_acid": "UA",
    "egfr": "eGFR",
    "alt": "ALT",
    "creatinine": "Cr",
    "tsh": "TSH",
    "bmi": "BMI",
}


class ReportItem(BaseModel):
    """One row of the exam-report card."""

    name: str
    value: float
    unit: str
    explanation: str = ""


class ExplainedResults(BaseModel):
    explanations: list[Explanation]
    items: list[ReportItem]
    message: Bilingual = Field(description="Every value's meaning, one line each.")


def explain_results(args: ExplainResultsArgs, ctx: ToolContext) -> ExplainedResults:
    """Explain exam-report values (LDL-C, total cholesterol, triglycerides, HDL-C, HbA1c, uric
    acid, eGFR, ALT, creatinine, TSH) and BMI from height and weight against guideline
    thresholds; values without a fixed threshold are read against the report's own range.
    Education, not a diagnosis."""
    explained = [explain_value(v.name, v.value) for v in args.values]
    if args.height_cm is not None and args.weight_kg is not None:
        explained.append(explain_bmi(args.height_cm, args.weight_kg))
    return ExplainedResults(
        explanations=explained,
        items=[ReportItem(name=_LABELS[e.name], value=e.value, unit=e.unit) for e in explained],
        message=Bilingual(
            zh="\n".join(e.message.zh for e in explained),
            en="\n".join(e.message.en for e in explained),
        ),
    )


explain_results_tool: ToolSpec[ExplainResultsArgs, ExplainedResults] = ToolSpec(
    name="explain_results",
    description=(explain_results.__doc__ or "").replace("\n    ", " "),
    input_model=ExplainResultsArgs,
    output_model=ExplainedResults,
    fn=explain_results,
    card_type="exam_report",
)
