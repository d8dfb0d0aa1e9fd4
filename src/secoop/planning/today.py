"""Planning items for the home page (placeholder until the providers land)."""
