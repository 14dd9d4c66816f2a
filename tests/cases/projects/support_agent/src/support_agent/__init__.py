"""Remote support agent: opens a channel to the support desk and attaches a shell to it."""
