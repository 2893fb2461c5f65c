# Legacy staging cluster workers (HCL). Kept until the staging cluster moves to infra/openstack.
variable "worker_count" {
  type        = number
  description = "Number of worker VMs in the legacy staging cluster."
}

variable "worker_flavor" {
  type    = string
  default = "m1.large"
}

resource "openstack_compute_instance_v2" "worker" {
  count       = var.worker_count
  name        = "k8s-staging-worker-${count.index + 1}"
  flavor_name = var.worker_flavor
  image_name  = "ubuntu-22.04-k8s-1.29"
  key_pair    = "platform-ops"

  network {
    name = "k8s-staging"
  }

  lifecycle {
    prevent_destroy = true
  }
}
