// Lab placeholder
