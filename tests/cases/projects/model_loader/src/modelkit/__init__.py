"""modelkit: fetch checkpoints from the Hugging Face Hub and load them in one call."""
from .registry import load_checkpoint, load_encoder

__all__ = ["load_checkpoint", "load_encoder"]
