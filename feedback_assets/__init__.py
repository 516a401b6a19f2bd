"""feedback_assets: customer-support conversations → classifications → themes → product stories."""

__version__ = "0.1.0"
