"""serve/routes"""
