"""Exam-report values and body measurements explained against guideline thresholds."""
