# Staging workers. Applied by Atlantis with: terraform apply -var-file=workers.tfvars
# Capacity note: the staging project quota allows at most 6 workers.

worker_count = 3 # bumped from 2 after the Oct load test
worker_flavor = "m1.large"
