"""Contracts for subscribers of our events, generated from the code: a JSON Schema for the data of
every published event type and for the envelope, and an AsyncAPI document of the topics. They are
checked in under deploy/contracts; `python -m services.contracts write|check`."""
