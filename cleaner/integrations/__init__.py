"""cleaner inside other systems: Scrapy, datatrove, Spark. Each module imports its framework
only where it is used, so the package imports without them."""
