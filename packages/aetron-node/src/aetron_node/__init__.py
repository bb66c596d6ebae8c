"""AETRON reference node and the `aetron devnet` command.

No code yet; the package README says what it will hold.
"""
