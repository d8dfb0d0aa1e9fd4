"""Django format modules (settings.FORMAT_MODULE_PATH): the product's one way of writing dates,
from secoop.core.formats, whatever the locale's own defaults."""
