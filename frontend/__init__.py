"""The guide's headless frontend samples: web pages that run Stytch's own JavaScript SDK
(`@stytch/vanilla-js`, installed by npm into frontend/node_modules) against the emulator's
frontend door (/sdk/v1), and the small server that serves them on loopback (`make frontend`)."""
