"""Data shipped with the package: the authority file of people, places and groups."""
