await CapstanMain.run()
