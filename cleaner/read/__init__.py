"""Reading a page: bytes to text (`decode`), HTML parsing and block text (`html`), and what the
head says (`head`)."""
