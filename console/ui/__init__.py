"""The PySide6 console: composition root, main window, panels, item models, dialogs."""
