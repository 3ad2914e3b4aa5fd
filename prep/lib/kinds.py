from django.db import models


class Kind(models.TextChoices):
    """The interview stages, in the order a real loop runs them."""

    PRODUCT_SENSE = "product_sense", "Product sense"
    EXECUTION = "execution", "Execution"
    BEHAVIORAL = "behavioral", "Behavioral"
    GTM = "gtm", "Go-to-market"


class Difficulty(models.IntegerChoices):
    EASY = 1, "Easy"
    MEDIUM = 2, "Medium"
    HARD = 3, "Hard"
