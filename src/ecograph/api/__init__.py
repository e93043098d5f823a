"""The HTTP API: SPARQL endpoint, linked data, query API and pages."""
