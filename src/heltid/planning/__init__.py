"""Planning algorithms without Django: plain data in, plain data out."""
