"""ecograph's SHACL engine: the shapes compiled to set-based SPARQL and run on the build's store.

- :mod:`.engine` runs the checks and words their rows as problems;
- :mod:`.compiler` assembles the checks of every shape from its targets (:mod:`.targets`),
  its path (:mod:`.paths`) and its constraints, one module per family of the SHACL
  specification's core constraint components: :mod:`.value_type` (4.1), :mod:`.cardinality`
  (4.2), :mod:`.value_range` (4.3), :mod:`.string_based` (4.4), :mod:`.property_pair` (4.5),
  :mod:`.logical` (4.6), :mod:`.shape_based` (4.7), :mod:`.other` (4.8), and the SPARQL-based
  constraints and components, :mod:`.sparql_based` (5, 6);
- :mod:`.components` holds what they share, :mod:`.rewriting` the SPARQL texts of the shapes
  moved into the checks.
"""
