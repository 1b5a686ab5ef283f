"""Weight initialization (nn.init)."""
