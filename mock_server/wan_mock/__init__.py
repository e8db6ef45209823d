"""wan-video-kit mock server: a stateful, spec-driven fake of the DashScope Wan video API."""
