"""build/shacl"""
