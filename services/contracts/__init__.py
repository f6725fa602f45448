"""Contracts generated from the code: for subscribers of our events, a JSON Schema for the data of
every published event type and for the envelope, and an AsyncAPI document of the topics (checked in
under deploy/contracts); for API clients, the catalogue of error codes (docs/errors.md).
`python -m services.contracts write|check`."""
