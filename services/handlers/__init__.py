"""Command handlers, one module per aggregate kind: load the aggregate once, let it act, save.

Each handler method takes the acting person, the resource's id and the act's own arguments,
typed, and answers what was saved; an Idempotency-Key's claim travels as `claim`."""
