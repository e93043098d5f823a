"""ecograph: an open knowledge graph of regional innovation ecosystems."""

__version__ = "0.1.0"
