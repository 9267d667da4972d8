"""Reading and writing the files people hand to mirrorball: marks, couples, seasons."""
