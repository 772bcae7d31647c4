"""django-q2 task functions, one module per area. Each loads by id and calls one service."""
