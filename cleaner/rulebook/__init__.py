"""Rule packs: the rule types (`types`), the TOML loader and validator (`load`), and `lint`.

Nothing is imported here: the rule types sit below the engines and the loader above them, and
importing one must not pull in the other.
"""
