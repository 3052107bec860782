# Generated from app.sq by sentinel; do not edit.
