"""Writing results: data files, plots and the HTML report of the main job."""
