"""One module per delivery channel; each ``send`` raises ``DeliveryError`` on failure."""
