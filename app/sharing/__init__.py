"""Share links for buyers: the exporter's management pages (:mod:`app.sharing.routes`) and the public
verification page they open (:mod:`app.sharing.public`)."""
