/* html5shiv placeholder */
