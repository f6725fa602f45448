"""The deadline watcher: time → Warning events (`services.warnings.watcher`)."""
