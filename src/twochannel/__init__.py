"""twochannel: how AI reshapes income and wealth inequality (labor channel vs asset channel)."""

__version__ = "0.1.0"


class TwochannelWarning(UserWarning):
    """Warnings issued by twochannel (errors in the test suite)."""
