"""A generated consultancy of many client factories, for benchmarks and trying the app at scale
(``flask generate-portfolio``): :mod:`.portfolio` builds it, the other modules add each kind of record."""
