CapstanMain.run()
