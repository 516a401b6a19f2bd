"""Product specs for the sample generator, one module per fictional product.

``crewline`` is the bundled sample's product; ``inkwell`` is the holdout nobody tunes against; ``ledgerly`` is a
second, blind holdout (data/holdout_ledgerly/) that is not evaluated by default."""

from __future__ import annotations

import importlib

PRODUCT_MODULES = {
    "crewline": "sample_products.crewline",
    "inkwell": "sample_products.inkwell",
    "ledgerly": "sample_products.ledgerly",
}


def load_product(name: str):
    """The ``Product`` spec called ``name``; an unknown name is an error that lists the known ones."""
    module = PRODUCT_MODULES.get(name)
    if module is None:
        raise ValueError(f"unknown product {name!r}; known products: {', '.join(sorted(PRODUCT_MODULES))}")
    return importlib.import_module(module).PRODUCT
