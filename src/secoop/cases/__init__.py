"""Foreign Military Sales cases: LOR → CTA → LOA → implementation → deliveries → closure (SPEC §5)."""
