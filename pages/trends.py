"""Page: trends (work in progress)."""
import streamlit as st

from ui import filters, layout

f = filters.current()
layout.page_header_ui("app.page.trends", f)
