"""A ZeroMQ job worker: pulls jobs from the dispatcher and reports results back."""
