"""Robust foundation models: adversarial contrastive learning made efficient (RCS) and effective (AIR), with robust fine-tuning and evaluation

Modules:

- `robust_contrastive.robustify`: Two-stage robust self-supervised learning: DeACL's distillation into an adversarially trained student and FARE's embedding-space adversarial fine-tuning, the frozen teacher they both need, and the contract any encoder meets to take part."""

__version__ = "0.1.0"
