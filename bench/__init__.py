"""ecograph's benchmark: synthetic data at scale, and the build, queries and HTTP endpoint
measured side by side with what a user would pick instead (see the README's Benchmark section).

Nothing here is imported by the package or by its tests' timing: speed lives only here.
"""
