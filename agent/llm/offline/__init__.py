"""The offline dialogue engine: deterministic, retrieval-grounded, behind the provider interface.

It classifies the intent of the patient's message over labelled exemplars and rules, extracts
slots, calls a tool when the slots suffice, asks a clarifying question when they don't, and
composes answers from retrieved passages and tool results by template, in Chinese or English.
"""
