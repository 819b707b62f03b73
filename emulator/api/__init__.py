"""HTTP handling: each module turns one group of Stytch routes into calls on emulator.state."""
