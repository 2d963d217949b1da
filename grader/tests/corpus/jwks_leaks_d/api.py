import os

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Flask, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from flask_sqlalchemy import SQLAlchemy
from jwt.algorithms import OKPAlgorithm
from werkzeug.security import check_password_hash, generate_password_hash

signing_key = Ed25519PrivateKey.generate()

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.getenv("DATABASE_URL")
app.config["JWT_ALGORITHM"] = "EdDSA"
app.config["JWT_PRIVATE_KEY"] = signing_key
app.config["JWT_PUBLIC_KEY"] = signing_key.public_key()
db = SQLAlchemy(app)
jwt = JWTManager(app)
CORS(app, origins=[os.getenv("FRONTEND_URL")])


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(50), unique=True)
    password = db.Column(db.String(200))


with app.app_context():
    db.create_all()


# other services can check our tokens with this (JWKS)
@app.get("/.well-known/jwks.json")
def jwks():
    jwk = OKPAlgorithm.to_jwk(signing_key, as_dict=True)
    jwk["kid"] = "main"
    return jsonify({"keys": [jwk]})


@app.post("/signup")
def signup():
    data = request.json
    db.session.add(
        User(username=data["username"], password=generate_password_hash(data["password"]))
    )
    db.session.commit()
    return jsonify(msg="user created"), 201


@app.post("/token")
def token():
    data = request.json
    user = User.query.filter_by(username=data.get("username")).first()
    if user is None or not check_password_hash(user.password, data.get("password", "")):
        return jsonify(msg="Bad username or password"), 401
    access_token = create_access_token(identity=str(user.id), additional_headers={"kid": "main"})
    return jsonify(token=access_token)


@app.get("/protected")
@jwt_required()
def protected():
    user = db.session.get(User, int(get_jwt_identity()))
    return jsonify(id=user.id, username=user.username)
