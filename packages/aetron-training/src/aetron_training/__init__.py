"""AETRON watched collaborative training: per-step detectors and Witnessed Checkpoints.

No code yet; the package README says what it will hold.
"""
