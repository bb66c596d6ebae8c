"""One module per protocol domain; see ``aetron_conformance._registry`` for the interface."""
