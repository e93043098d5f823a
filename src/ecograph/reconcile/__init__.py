"""Reconciliation: matching names against the graph, as the W3C Entity Reconciliation API asks."""
